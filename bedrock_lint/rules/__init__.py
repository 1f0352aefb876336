"""Rules, one module per family; see ``registry.RULE_MODULES``."""
