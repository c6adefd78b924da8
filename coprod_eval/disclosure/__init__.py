"""What may be published about people: the disclosure rules for counts and statistics
(privacy), de-identified text (deidentify), quotes kept only as far as they are known to be
safe (safewords, safequote), and the audit's second reading of a quote (quotecheck)."""
