"""Course configuration as code: `spec.py` reads and checks a course TOML file, `services.py` writes it into
the database, `loadcourse` and `loaddemo` are the commands."""
