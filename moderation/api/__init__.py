"""REST of the moderation app (all under /api/moderation/): thin views over the services.

See docs/moderation.md for every call with example bodies.
"""
