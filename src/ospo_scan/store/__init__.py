"""The organization inventory: repository scans kept as snapshots, in SQLite or PostgreSQL."""
