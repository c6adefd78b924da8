"""From checked inputs to facts: indicators measured, groups compared, principles rated,
inconvenient truths found, quotes chosen and de-identified (assessment.evaluate holds the
order). Imports nothing from render, runs or above."""
