"""The web pages: Django templates, German first."""
