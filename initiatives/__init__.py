"""Initiatives (projects), memberships and roles, and the city's districts and categories."""
