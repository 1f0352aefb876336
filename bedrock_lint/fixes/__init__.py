"""Fixes: edit builders used by rules, and the one applier that touches files."""
