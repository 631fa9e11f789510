"""The floor: the Channels tutorial pattern, a project of its own (it imports none of ours).

A consumer per connection joins its room's group on connect and answers every
frame with `group_send` over channels-redis; each member's consumer then sends
the frame to its socket. Served by daphne:

    DJANGO_SETTINGS_MODULE=bench.floor.settings REDIS_URL=redis://127.0.0.1:6379/0 \\
        daphne -b 127.0.0.1 -p 8766 bench.floor.asgi:application

Clients connect to `/ws/chat/<room>/` with an `Origin` of an allowed host (the
tutorial's AllowedHostsOriginValidator) and send the frames of bench.ceiling.
"""
