"""Executes a plan: the lock, one transaction, bulk writes per dialect, the journal append."""
