"""The web pages, one module per area; urls.py lists them all."""
