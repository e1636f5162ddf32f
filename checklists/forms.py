"""Forms of the checklists pages. They only shape input; the rules live in ``services``."""

from django import forms

from checklists.choices import LegalLevel
from checklists.schemas import ItemSchema, LedgerSchema, OrganisationSchema, PlaqueSchema, PublishSchema

#: The pages' forms are the input schemas (``checklists.schemas``): one declaration for the page and the service.
ItemForm = ItemSchema
PublishForm = PublishSchema
LedgerForm = LedgerSchema
OrganisationForm = OrganisationSchema
PlaqueForm = PlaqueSchema


class BasisForm(forms.Form):
    law = forms.CharField(label="法律法规名称", required=False, max_length=200)
    article = forms.CharField(label="条款", required=False, max_length=100)
    level = forms.ChoiceField(label="效力层级", required=False, choices=[("", "—")] + LegalLevel.choices)


BasisFormSet = forms.formset_factory(BasisForm, extra=0, max_num=8, absolute_max=8)
