from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "safeguard.access"
    label = "access"
    verbose_name = "Access to child records"

    def ready(self) -> None:
        # Tasks and notifications name a child only to those who may see them (issue 10 item 6);
        # the notifications app sits below this one, so this app tells it how to ask.
        from safeguard.notifications.services import child_visibility_register

        from .policy import may_name_child, team_may_see_child

        child_visibility_register(user=may_name_child, team=team_may_see_child)
