"""The shell around the pure engine: configuration, database, pipeline, web app and command line."""
