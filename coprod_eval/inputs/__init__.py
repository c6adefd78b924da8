"""An evaluation folder read and checked: evaluation.yaml (load), every evidence stream
(evidence, records, survey/), the people ledger, the right of reply (responses) and the
project's rounds. Nothing here computes a finding."""
