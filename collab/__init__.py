"""The Django project: settings, ASGI entry point, root URLs and the pieces every app shares."""
