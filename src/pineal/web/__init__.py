"""`pineal serve`: the HTTP API and the web pages (docs/web.md)."""

from pineal.web.app import Settings, create_app

__all__ = ["Settings", "create_app"]
