"""Accounts: Django's user plus the community profile, registration and token login."""
