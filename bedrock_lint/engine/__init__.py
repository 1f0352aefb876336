"""The checking engine: reading sources, analysing them and running over many files."""
