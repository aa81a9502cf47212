"""Recording a completed Edinburgh Claudication Questionnaire with its classification."""

from diary.claudication import classify
from diary.models import ClaudicationAnswer, User
from diary.services.summaries import summary_mark_stale


def claudication_record(*, patient: User, answers: dict) -> ClaudicationAnswer:
    result = classify(**answers)
    answer = ClaudicationAnswer.objects.create(
        patient=patient, result=result.result, grade=result.grade, **answers
    )
    summary_mark_stale(patient_id=patient.pk)
    return answer
