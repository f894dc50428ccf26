from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from voices.core.notifications import recipient_language
from voices.core.tasks import email_enqueue


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """Render the email in the recipient's language now; a task sends it after commit."""
        user = context.get("user")
        language = recipient_language(user) if user is not None else translation.get_language()
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
        html = next(
            (
                content
                for content, mime in getattr(message, "alternatives", [])
                if mime == "text/html"
            ),
            None,
        )
        email_enqueue(to=list(message.to), subject=message.subject, body=message.body, html=html)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.display_name = (form.cleaned_data.get("display_name") or user.username).strip()
        user.languages = [translation.get_language()]
        if commit:
            user.save()
        return user
