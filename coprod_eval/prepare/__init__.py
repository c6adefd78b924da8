"""Preparing an evaluation folder: a new one (scaffold), an own questionnaire's mapping
confirmed (mapstep), people's withdrawals and quote sign-offs (people), the evaluation as
CI (ci)."""
