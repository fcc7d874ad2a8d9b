-- WHO ATC codes of a drug, comma-separated; existing drugs start unclassified ('') and are checked against allergies
-- by name only until a pharmacist gives their codes (decision 013).
ALTER TABLE `drugs` ADD `atc_codes` varchar(64) DEFAULT '' NOT NULL;
