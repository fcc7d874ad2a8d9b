-- Phone search keys (decision 009): the number as international digits, and its digits reversed, both STORED
-- generated columns so every writer (the app, the console, seed-large's LOAD DATA) keeps them right. One ALTER: the
-- table is rebuilt once, not once per clause. The (phone_number, id) index is replaced by (phone_intl, id).
ALTER TABLE `patients`
	ADD `phone_intl` varchar(24) GENERATED ALWAYS AS (case when left(`phone_number`, 5) = '+2340' then concat('234', substring(`phone_number`, 6)) when left(`phone_number`, 1) = '+' then substring(`phone_number`, 2) when left(`phone_number`, 1) = '0' then concat('234', substring(`phone_number`, 2)) else `phone_number` end) STORED,
	ADD `phone_reversed` varchar(20) GENERATED ALWAYS AS (reverse(replace(`phone_number`, '+', ''))) STORED,
	ADD INDEX `patients_phone_intl_idx` (`phone_intl`,`id`),
	ADD INDEX `patients_phone_reversed_idx` (`phone_reversed`,`id`),
	DROP INDEX `patients_phone_idx`;
