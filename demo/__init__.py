"""The demo: Stuttgart's demo accounts, initiatives, rooms and chat (`manage.py seed_demo`,
run by `make demo`). It uses every app, so it sits at the top, beside the web pages."""
