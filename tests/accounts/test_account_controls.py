"""What an account change tells the account's open connections (accounts/services.py):
close them when the account is switched off, read the role again when it may have
changed (the moderators group, the superuser flag), and nothing for other changes."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from django.db import transaction

from accounts import services
from accounts.selectors import MODERATORS_GROUP
from realtime.messages import CLOSE_BLOCKED, Close, Control, RefreshRole
from tests.factories import MakeUser

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, Control]]:
    """The controls the account services publish, as (user id, control)."""
    controls: list[tuple[int, Control]] = []

    def record(*, user_id: int, control: Control) -> None:
        controls.append((user_id, control))

    monkeypatch.setattr(services.publish, "user_control_on_commit", record)
    return controls


def _moderators() -> Group:
    return Group.objects.get(name=MODERATORS_GROUP)


def test_joining_or_leaving_the_moderators_from_either_side_refreshes_the_role(
    make_user: MakeUser, sent: list[tuple[int, Control]]
) -> None:
    user = make_user()

    user.groups.add(_moderators())
    _moderators().user_set.remove(user)
    _moderators().user_set.add(user)
    user.groups.clear()

    assert sent == [(user.pk, RefreshRole())] * 4


def test_other_groups_change_no_role(make_user: MakeUser, sent: list[tuple[int, Control]]) -> None:
    user = make_user()
    helpers = Group.objects.create(name="helfer")

    user.groups.add(helpers)
    helpers.user_set.remove(user)

    assert sent == []


def test_the_superuser_flag_refreshes_the_role_and_a_login_does_not(
    make_user: MakeUser, sent: list[tuple[int, Control]]
) -> None:
    user = make_user()

    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    user.save(update_fields=["last_login"])

    assert sent == [(user.pk, RefreshRole())]


def test_switching_an_account_off_closes_its_connections(
    make_user: MakeUser, sent: list[tuple[int, Control]]
) -> None:
    user: User = make_user()

    user.is_active = False
    user.save()

    assert sent == [(user.pk, Close(code=CLOSE_BLOCKED))]


def test_a_new_account_tells_nobody(sent: list[tuple[int, Any]], make_user: MakeUser) -> None:
    with transaction.atomic():
        make_user()
    assert sent == []
