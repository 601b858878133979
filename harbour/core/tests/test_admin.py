"""The administrator has Django's admin over every record, with history and no deleting."""

from datetime import date

import pytest
from django.contrib import admin
from django.urls import reverse

from harbour.access.models import User
from harbour.core.models import Recorded
from harbour.people.models import Child

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create(username="admin", is_staff=True, is_superuser=True))
    return client


def test_every_record_type_is_in_the_admin(admin_client):
    registered = [m for m in admin.site._registry if issubclass(m, Recorded)]
    assert len(registered) >= 40
    for model in registered:
        meta = model._meta
        url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
        assert admin_client.get(url).status_code == 200, url


def test_a_childs_record_shows_its_history_and_cannot_be_deleted(admin_client):
    child = Child.objects.create(
        reference="SYN9000010",
        forename="Ava",
        surname="Fenwick",
        sex="F",
        date_of_birth=date(2016, 3, 1),
    )
    history = reverse("admin:people_child_history", args=[child.pk])
    assert admin_client.get(history).status_code == 200
    delete = reverse("admin:people_child_delete", args=[child.pk])
    assert admin_client.get(delete).status_code == 403


def test_an_edit_in_the_admin_records_who_made_it(admin_client):
    child = Child.objects.create(
        reference="SYN9000011",
        forename="Ava",
        surname="Fenwick",
        sex="F",
        date_of_birth=date(2016, 3, 1),
    )
    url = reverse("admin:people_child_change", args=[child.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(ethnicity="WBRI", forename="Ava")
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    child.refresh_from_db()
    assert child.ethnicity == "WBRI"
    assert child.updated_by.username == "admin"
    assert child.history.first().history_user.username == "admin"
