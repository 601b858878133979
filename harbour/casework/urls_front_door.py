from django.urls import path

from harbour.casework.views import front_door

urlpatterns = [
    path("front-door/", front_door.queue, name="front-door"),
    path("front-door/new/", front_door.new_contact, name="front-door-new-contact"),
    path("front-door/contacts/<int:contact_id>/", front_door.contact, name="front-door-contact"),
    path(
        "front-door/contacts/<int:contact_id>/child/",
        front_door.choose_child,
        name="front-door-choose-child",
    ),
    path(
        "front-door/contacts/<int:contact_id>/decision/",
        front_door.decide,
        name="front-door-decide",
    ),
    path(
        "front-door/contacts/<int:contact_id>/referrer-told/",
        front_door.tell_referrer,
        name="front-door-tell-referrer",
    ),
]
