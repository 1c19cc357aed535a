from django.apps import AppConfig


class StaffworkConfig(AppConfig):
    name = "coursesite.staffwork"
    label = "staffwork"
    verbose_name = "Work waiting for the staff"

    def ready(self):
        # Adds the digests' round to every worker's sweep loop (autograding.liveness); importing the services
        # imports staffwork.notify, which registers the digest e-mail with coursesite.audit.notify for the
        # worker that sends it. Both sit below this app and never import it.
        from coursesite.autograding.liveness import also_sweep
        from coursesite.staffwork.services import staff_digests_send

        also_sweep(staff_digests_send)
