"""The front door: typer app, settings loading, views, and errors turned into exit codes."""
