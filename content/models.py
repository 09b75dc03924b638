from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.admin.panels import FieldPanel


class HomePage(Page):
    """The public home page of the portal."""

    intro = RichTextField("pengantar", blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]

    class Meta:
        verbose_name = "halaman beranda"
