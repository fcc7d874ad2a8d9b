-- The new indexes come before the drops: MySQL 8 refuses to drop audit_actor_idx while it is the only index serving
-- the actor_id foreign key (error 1553).
ALTER TABLE `drugs` ADD `expiry_sort` date GENERATED ALWAYS AS (coalesce(`expiry_date`, '9999-12-31')) STORED;--> statement-breakpoint
CREATE INDEX `drugs_stock_idx` ON `drugs` (`stock_on_hand`,`id`);--> statement-breakpoint
CREATE INDEX `drugs_expiry_idx` ON `drugs` (`expiry_sort`,`id`);--> statement-breakpoint
CREATE INDEX `audit_patient_at_idx` ON `audit_events` (`patient_id`,`at`,`id`);--> statement-breakpoint
CREATE INDEX `audit_actor_at_idx` ON `audit_events` (`actor_id`,`at`,`id`);--> statement-breakpoint
CREATE INDEX `audit_patient_action_at_idx` ON `audit_events` (`patient_id`,`action`,`at`,`id`);--> statement-breakpoint
CREATE INDEX `audit_actor_action_at_idx` ON `audit_events` (`actor_id`,`action`,`at`,`id`);--> statement-breakpoint
DROP INDEX `audit_patient_idx` ON `audit_events`;--> statement-breakpoint
DROP INDEX `audit_actor_idx` ON `audit_events`;
