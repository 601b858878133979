from django.apps import AppConfig


class FrontDoorConfig(AppConfig):
    name = "harbour.front_door"
    label = "front_door"
    verbose_name = "The front door: referrals from partner agencies"
