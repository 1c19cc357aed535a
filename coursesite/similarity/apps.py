from django.apps import AppConfig


class SimilarityConfig(AppConfig):
    name = "coursesite.similarity"
    label = "similarity"
    verbose_name = "Code similarity"

    def ready(self):
        # Every worker's sweep loop also queues the comparison of each coding assignment once it closed.
        from coursesite.autograding.liveness import also_sweep
        from coursesite.similarity.services import similarity_runs_sweep

        also_sweep(similarity_runs_sweep)
