from django.apps import AppConfig


class SimilarityConfig(AppConfig):
    name = "coursesite.similarity"
    label = "similarity"
    verbose_name = "Code similarity"
