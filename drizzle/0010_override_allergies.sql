-- The allergies a drug line's override reason was given for (a reason no longer stands for an allergy recorded later,
-- nor for one a new drug on the line matches). Lines written before stay null: their reason covers the allergies
-- recorded by the time the line was last changed (server/src/services/prescriptions.ts, overrideCovers).
ALTER TABLE `prescription_drugs` ADD `allergy_override_for` json;
