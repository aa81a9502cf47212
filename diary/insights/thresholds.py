"""Every number the insight rules use, each once, with its reason and source (docs/decisions/0011)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Thresholds:
    # The look-back of every rule "unless stated" (PRODUCT.md, Insights): four weeks hold enough nights
    # for a pattern and are short enough to reflect the current state of the legs.
    window_days: int = 28
    # emergency_warning: sudden chest pain or breathlessness is an emergency whatever its cause; a pulmonary
    # embolism can follow a DVT. Only recent reports are actionable now (PRODUCT.md: "in the last 2 days").
    emergency_days: int = 2
    # urgent_dvt_warning: acute one-sided swelling, pain, tenderness (vein-clinic patient education);
    # "in the last 7 days" keeps it to an acute picture.
    dvt_days: int = 7
    # One leg at least two swelling levels (none, mild, moderate, severe) above the other: clearly one-sided,
    # not the everyday difference of one level.
    dvt_swelling_levels: int = 2
    # One leg's circumference this much larger than the other's (issue 21): at the calf *more than* 3.0 cm,
    # as the Wells criteria have it ("calf swelling > 3 cm compared with the asymptomatic leg"); at the
    # ankle, which Wells does not measure, or where the site was not said, 3.0 cm or more (PRODUCT.md:
    # "calf/ankle >= 3 cm larger"). A calf against an ankle is compared with nothing; a site not said
    # is not a reason to stop comparing (a default is not an answer, nor is a blank).
    dvt_circumference_cm: float = 3.0
    # one_sided_swelling and both_legs_swelling (advice): the leg pictures short of urgent_dvt_warning.
    # "In the last 7 days", by the clock as the DVT rule's, so the same acute check-in is read by both and
    # the urgent one, when it fires, silences these (docs/decisions/0038).
    leg_advice_days: int = 7
    # both_legs_swelling: both legs "severely" swollen is the top swelling level (3, severe) on each:
    # bilateral DVT, cellulitis and heart failure present so, suddenly and with pain (issue 21).
    both_legs_swelling_level: int = 3
    # chest_pain_follow_up: sudden chest pain or breathlessness reported more than emergency_days ago
    # still matters to the doctor: the follow-up stays for the rules' 28 local days (the day window).
    follow_up_days: int = 28
    # venous_evaluation: nocturnal cramps on >= 8 distinct nights in 28 (about two a week). Idiopathic night
    # cramps are common after 60 (NICE CKS), so this alone is not enough: a venous sign must come with it.
    venous_cramp_nights: int = 8
    # A venous sign counts when present on >= 7 days of the 28 (about a quarter of days): swelling >= mild,
    # or heaviness or aching >= 4. Night cramps with swelling/heaviness point to CVI (vein-clinic patient
    # education).
    venous_sign_days: int = 7
    # Heaviness or aching from 4 of 10 upwards: a symptom the patient notices, not a passing twinge.
    symptom_score: int = 4
    # arterial_evaluation: >= 3 cramps while walking or exercising, relieved by rest: claudication suggests
    # PAD (vein-clinic patient education; Edinburgh Claudication Questionnaire). Three rules out a one-off.
    arterial_episodes: int = 3
    # The Edinburgh questionnaire counts if answered within the last year (claudication is a chronic picture).
    claudication_days: int = 365
    # frequent_severe_cramps: "more frequent and severe muscle cramps should be evaluated by a physician"
    # (vein-clinic patient education): >= 12 episodes (three a week) or >= 6 of severity >= 7 of 10.
    frequent_episodes: int = 12
    severe_episodes: int = 6
    severe_score: int = 7
    # medication_review: diuretics, long-acting beta-agonists and some calcium-channel blockers predispose
    # to leg cramps (NICE CKS leg cramps; Age and Ageing review of nocturnal leg cramps), and statins can:
    # >= 8 (two a week) cramp nights since a listed medicine of these classes was started; with nothing
    # listed, >= 8 cramps while the profile says diuretics are taken.
    medication_cramps: int = 8
    # The associations (fluid, compression, the patient's own factors): a cramp-night rate at least 1.5
    # times the other's is a difference worth showing; with fewer than 5 days on either side one night more
    # or less flips it, so both sides need 5.
    rate_factor: float = 1.5
    min_days_each_side: int = 5
    # compression_association: a "compression day" is one with >= 8 h worn (a working day's wear, as stockings
    # are prescribed); compression reduces pooling and cramps (vein-clinic patient education).
    compression_day_hours: float = 8.0
    # A check-in recorded more than this long before it was logged is a past report (a paper diary typed
    # in): its urgent warning is worded for the past ("if you still have these symptoms"), still urgent.
    # A day: a morning check-in typed in that evening is still today's; yesterday's or older is not.
    past_dated_hours: int = 24


THRESHOLDS = Thresholds()
