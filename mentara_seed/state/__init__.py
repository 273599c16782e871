"""The state journal: append-only events of every apply, and the ownership projected from them."""
