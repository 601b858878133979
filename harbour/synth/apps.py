from django.apps import AppConfig


class SynthConfig(AppConfig):
    name = "harbour.synth"
    label = "synth"
