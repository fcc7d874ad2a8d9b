DROP INDEX `patients_first_idx` ON `patients`;--> statement-breakpoint
CREATE INDEX `patients_first_last_idx` ON `patients` (`first_name`,`last_name`,`id`);