"""Events and action days: RSVPs with a waiting list, volunteer shifts with sign-ups and
attendance (DESIGN.md). The seat rules of both live in events/seats.py."""
