"""The shapes of the moderation API's answers, for the OpenAPI schema only.

The answers themselves come from moderation.rendering (one renderer per object);
these serializers describe them to drf-spectacular and are never used to render.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from common.validation import MAX_ID

SCOPE_SCHEMA = {
    "description": 'Where it applies: "global", {"room": id} or {"initiative": id}.',
    "oneOf": [
        {"type": "string", "enum": ["global"]},
        *(
            {
                "type": "object",
                "required": [key],
                "properties": {key: {"type": "integer", "minimum": 1, "maximum": MAX_ID}},
                "additionalProperties": False,
            }
            for key in ("room", "initiative")
        ),
    ],
}


@extend_schema_field(SCOPE_SCHEMA)
class ScopeField(serializers.JSONField):
    """A mute's, ban's or log entry's scope (moderation/scopes.py reads and writes it)."""


class RestrictionOut(serializers.Serializer):
    id = serializers.IntegerField()
    user = serializers.DictField()
    scope = ScopeField()
    until = serializers.DateTimeField(allow_null=True)
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    created_by = serializers.DictField(allow_null=True)
    lifted_at = serializers.DateTimeField(allow_null=True)
    lifted_by = serializers.DictField(allow_null=True)
    active = serializers.BooleanField()
    action = serializers.IntegerField(allow_null=True, help_text="the log entry that imposed it")


class ContentRefOut(serializers.Serializer):
    """Community content that is not a message (common/moderated.py)."""

    kind = serializers.CharField()
    id = serializers.IntegerField()
    title = serializers.CharField()


class ActionOut(serializers.Serializer):
    id = serializers.IntegerField()
    actor = serializers.DictField(allow_null=True)
    automatic = serializers.BooleanField()
    kind = serializers.CharField()
    target_user = serializers.DictField(allow_null=True)
    message = serializers.IntegerField(allow_null=True)
    content = ContentRefOut(allow_null=True)
    scope = ScopeField()
    mute = serializers.IntegerField(allow_null=True)
    ban = serializers.IntegerField(allow_null=True)
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class ReportOut(serializers.Serializer):
    id = serializers.IntegerField()
    message = serializers.IntegerField()
    reporter = serializers.DictField(allow_null=True, help_text="null for leads")
    reason = serializers.CharField()
    text = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


class AppealOut(serializers.Serializer):
    id = serializers.IntegerField()
    action = ActionOut()
    user = serializers.DictField()
    text = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    decided_by = serializers.DictField(allow_null=True)
    decision_reason = serializers.CharField()


class ContentReportOut(serializers.Serializer):
    id = serializers.IntegerField()
    content = ContentRefOut()
    reporter = serializers.DictField(allow_null=True, help_text="null for leads")
    reason = serializers.CharField()
    text = serializers.CharField()
    status = serializers.CharField()
    created_at = serializers.DateTimeField()


# Built from a dict: a declared field named `label` would clash with Field.label.
ReportedContentOut = inline_serializer(
    "ReportedContent",
    {
        "kind": serializers.CharField(),
        "id": serializers.IntegerField(),
        "title": serializers.CharField(),
        "label": serializers.CharField(help_text="the kind, for people"),
        "url": serializers.CharField(help_text="its page"),
        "author": serializers.DictField(allow_null=True),
        "hidden": serializers.BooleanField(),
    },
)


class ContentQueueItemOut(serializers.Serializer):
    content = ReportedContentOut
    decidable = serializers.BooleanField(help_text="false: the viewer may only escalate")
    reporters = serializers.IntegerField()
    escalated = serializers.BooleanField()
    first_reported_at = serializers.DateTimeField()
    reasons = serializers.DictField(child=serializers.IntegerField())
    reports = ContentReportOut(many=True)


ContentQueueItemListOut = ContentQueueItemOut(many=True)


# Built from a dict: a declared field named `context` would clash with Serializer.context.
QUEUE_ITEM_FIELDS: dict[str, serializers.Field] = {
    "message": serializers.DictField(help_text="the message; hidden text for moderators only"),
    "room": serializers.DictField(),
    "reporters": serializers.IntegerField(),
    "escalated": serializers.BooleanField(),
    "hidden": serializers.BooleanField(),
    "auto_hidden": serializers.BooleanField(),
    "first_reported_at": serializers.DateTimeField(),
    "reasons": serializers.DictField(child=serializers.IntegerField()),
    "reports": ReportOut(many=True),
    "dismissed_before": serializers.IntegerField(),
    "context": serializers.DictField(help_text="{before: [messages], after: [messages]}"),
    "author_history": serializers.DictField(help_text="{counts: {kind: n}, latest: [log entries]}"),
}
QueueItemListOut = inline_serializer("QueueItem", QUEUE_ITEM_FIELDS, many=True)
