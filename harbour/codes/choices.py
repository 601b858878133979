"""Callables for model fields' `choices=`: migrations store the reference, not the list."""

from harbour.codes import code_list


def sex():
    return code_list("sex").choices()


def ethnicity():
    return code_list("ethnicity").choices()


def disability():
    return code_list("disability").choices()


def religion():
    return code_list("religion").choices()


def first_language():
    return code_list("first_language").choices()


def gender_identity():
    return code_list("gender_identity").choices()


def referral_source():
    return code_list("referral_source").choices()


def upn_unknown():
    return code_list("upn_unknown").choices()


def social_worker_change():
    return code_list("social_worker_change").choices()


def sdq_reason():
    return code_list("sdq_reason").choices()


def primary_need():
    return code_list("primary_need").choices()


def category_of_abuse():
    return code_list("category_of_abuse").choices()


def closure_reason():
    return code_list("closure_reason").choices()


def legal_status():
    return code_list("legal_status").choices()


def category_of_need():
    return code_list("category_of_need").choices()


def placement_type():
    return code_list("placement_type").choices()


def placement_provider():
    return code_list("placement_provider").choices()


def reason_episode_ceased():
    return code_list("reason_episode_ceased").choices()


def reason_placement_change():
    return code_list("reason_placement_change").choices()


def review_participation():
    return code_list("review_participation").choices()


def care_leaver_in_touch():
    return code_list("care_leaver_in_touch").choices()


def care_leaver_activity():
    return code_list("care_leaver_activity").choices()


def care_leaver_accommodation():
    return code_list("care_leaver_accommodation").choices()


def missing_kind():
    return code_list("missing_kind").choices()


def adopter_sex():
    return code_list("adopter_sex").choices()


def adopter_legal_status():
    return code_list("adopter_legal_status").choices()


def reason_placed_for_adoption_ceased():
    return code_list("reason_placed_for_adoption_ceased").choices()


def previous_permanence():
    return code_list("previous_permanence").choices()
