"""The reliability suite (docs/reliability.md): faults, load, hostile peers, encodings."""
