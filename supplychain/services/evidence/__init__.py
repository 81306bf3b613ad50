"""Due-diligence evidence: pledges, certificates, training, incidents, corrective actions, questionnaires."""
