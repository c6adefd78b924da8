"""Survey answers from any tool: the formats registry, the mapping in evaluation.yaml,
reading an export, and proposing a mapping for a new one."""
