CREATE TABLE `staff` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`username` varchar(64) NOT NULL,
	`email` varchar(128) NOT NULL,
	`password_hash` varchar(255) NOT NULL,
	`role` varchar(16) NOT NULL,
	`job_title` varchar(64) NOT NULL,
	`first_name` varchar(128) NOT NULL,
	`last_name` varchar(128) NOT NULL,
	`other_names` varchar(128),
	`gender` varchar(8) NOT NULL,
	`dob` date,
	`marital_status` varchar(16),
	`address` varchar(255),
	`phone_number` varchar(20),
	`next_of_kin` varchar(128),
	`kin_address` varchar(255),
	`active` boolean NOT NULL DEFAULT true,
	`deactivated_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`created_by` bigint unsigned,
	`updated_by` bigint unsigned,
	`version` int NOT NULL DEFAULT 1,
	CONSTRAINT `staff_id` PRIMARY KEY(`id`),
	CONSTRAINT `staff_username_uq` UNIQUE(`username`),
	CONSTRAINT `staff_email_uq` UNIQUE(`email`)
);
--> statement-breakpoint
CREATE TABLE `patients` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`mrn` varchar(32),
	`first_name` varchar(128) NOT NULL,
	`last_name` varchar(128) NOT NULL,
	`other_names` varchar(128),
	`gender` varchar(8) NOT NULL,
	`dob` date,
	`marital_status` varchar(16),
	`address` varchar(255),
	`phone_number` varchar(20),
	`next_of_kin` varchar(128),
	`kin_address` varchar(255),
	`email` varchar(128),
	`allergies` json NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`created_by` bigint unsigned,
	`updated_by` bigint unsigned,
	`version` int NOT NULL DEFAULT 1,
	CONSTRAINT `patients_id` PRIMARY KEY(`id`),
	CONSTRAINT `patients_mrn_uq` UNIQUE(`mrn`)
);
--> statement-breakpoint
CREATE TABLE `consultations` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`patient_id` bigint unsigned NOT NULL,
	`doctor_id` bigint unsigned NOT NULL,
	`presenting_complaint` text,
	`history_of_presenting_complaint` text,
	`past_medical_history` text,
	`past_obstetric_history` text,
	`past_gynaecological_history` text,
	`provisional_diagnosis` text NOT NULL,
	`plan` text,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`created_by` bigint unsigned,
	`updated_by` bigint unsigned,
	`version` int NOT NULL DEFAULT 1,
	CONSTRAINT `consultations_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `nurse_notes` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`patient_id` bigint unsigned NOT NULL,
	`nurse_id` bigint unsigned NOT NULL,
	`note` text NOT NULL,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`created_by` bigint unsigned,
	`updated_by` bigint unsigned,
	`version` int NOT NULL DEFAULT 1,
	CONSTRAINT `nurse_notes_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `prescription_drugs` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`prescription_id` bigint unsigned NOT NULL,
	`drug_id` bigint unsigned NOT NULL,
	`drug_name` varchar(128) NOT NULL,
	`dose` varchar(64) NOT NULL,
	`frequency` varchar(64) NOT NULL,
	`duration` varchar(64) NOT NULL,
	`route` varchar(64) NOT NULL,
	`quantity` int NOT NULL,
	`allergy_override_reason` varchar(500),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`created_by` bigint unsigned,
	`updated_by` bigint unsigned,
	`version` int NOT NULL DEFAULT 1,
	CONSTRAINT `prescription_drugs_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `prescriptions` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`patient_id` bigint unsigned NOT NULL,
	`consultation_id` bigint unsigned NOT NULL,
	`prescriber_id` bigint unsigned NOT NULL,
	`status` varchar(16) NOT NULL DEFAULT 'pending',
	`notes` text,
	`dispensed_by` bigint unsigned,
	`dispensed_at` datetime(3),
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`created_by` bigint unsigned,
	`updated_by` bigint unsigned,
	`version` int NOT NULL DEFAULT 1,
	CONSTRAINT `prescriptions_id` PRIMARY KEY(`id`),
	CONSTRAINT `prescriptions_consultation_uq` UNIQUE(`consultation_id`)
);
--> statement-breakpoint
CREATE TABLE `vitals` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`patient_id` bigint unsigned NOT NULL,
	`consultation_id` bigint unsigned,
	`nurse_id` bigint unsigned NOT NULL,
	`pulse_rate` smallint,
	`respiratory_rate` smallint,
	`systolic_bp` smallint,
	`diastolic_bp` smallint,
	`temperature` double,
	`spo2` smallint,
	`height_cm` double,
	`weight_kg` double,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`created_by` bigint unsigned,
	`updated_by` bigint unsigned,
	`version` int NOT NULL DEFAULT 1,
	CONSTRAINT `vitals_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `drugs` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`name` varchar(128) NOT NULL,
	`generic_name` varchar(128),
	`brand` varchar(128),
	`formulation` varchar(64) NOT NULL,
	`strength` varchar(64) NOT NULL,
	`route` varchar(64) NOT NULL,
	`stock_on_hand` int NOT NULL DEFAULT 0,
	`reorder_level` int NOT NULL DEFAULT 0,
	`expiry_date` date,
	`created_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`updated_at` datetime(3) NOT NULL DEFAULT CURRENT_TIMESTAMP(3),
	`created_by` bigint unsigned,
	`updated_by` bigint unsigned,
	`version` int NOT NULL DEFAULT 1,
	CONSTRAINT `drugs_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `audit_events` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`at` datetime(3) NOT NULL,
	`actor_id` bigint unsigned,
	`action` varchar(16) NOT NULL,
	`entity_type` varchar(24) NOT NULL,
	`entity_id` bigint unsigned,
	`patient_id` bigint unsigned,
	`before` json,
	`after` json,
	`detail` varchar(255),
	`ip` varchar(45),
	CONSTRAINT `audit_events_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `login_failures` (
	`id` bigint unsigned AUTO_INCREMENT NOT NULL,
	`username_key` varchar(128) NOT NULL,
	`ip` varchar(45) NOT NULL,
	`at` datetime(3) NOT NULL,
	CONSTRAINT `login_failures_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
CREATE TABLE `record_counts` (
	`kind` varchar(32) NOT NULL,
	`n` bigint NOT NULL DEFAULT 0,
	CONSTRAINT `record_counts_kind` PRIMARY KEY(`kind`)
);
--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` varchar(64) NOT NULL,
	`staff_id` bigint unsigned,
	`data` text NOT NULL,
	`expires_at` datetime(3) NOT NULL,
	CONSTRAINT `sessions_id` PRIMARY KEY(`id`)
);
--> statement-breakpoint
ALTER TABLE `staff` ADD CONSTRAINT `staff_created_by_staff_id_fk` FOREIGN KEY (`created_by`) REFERENCES `staff`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `staff` ADD CONSTRAINT `staff_updated_by_staff_id_fk` FOREIGN KEY (`updated_by`) REFERENCES `staff`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `patients` ADD CONSTRAINT `patients_created_by_staff_id_fk` FOREIGN KEY (`created_by`) REFERENCES `staff`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `patients` ADD CONSTRAINT `patients_updated_by_staff_id_fk` FOREIGN KEY (`updated_by`) REFERENCES `staff`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `consultations` ADD CONSTRAINT `consultations_patient_id_patients_id_fk` FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `consultations` ADD CONSTRAINT `consultations_doctor_id_staff_id_fk` FOREIGN KEY (`doctor_id`) REFERENCES `staff`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `consultations` ADD CONSTRAINT `consultations_created_by_staff_id_fk` FOREIGN KEY (`created_by`) REFERENCES `staff`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `consultations` ADD CONSTRAINT `consultations_updated_by_staff_id_fk` FOREIGN KEY (`updated_by`) REFERENCES `staff`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `nurse_notes` ADD CONSTRAINT `nurse_notes_patient_id_patients_id_fk` FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `nurse_notes` ADD CONSTRAINT `nurse_notes_nurse_id_staff_id_fk` FOREIGN KEY (`nurse_id`) REFERENCES `staff`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `nurse_notes` ADD CONSTRAINT `nurse_notes_created_by_staff_id_fk` FOREIGN KEY (`created_by`) REFERENCES `staff`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `nurse_notes` ADD CONSTRAINT `nurse_notes_updated_by_staff_id_fk` FOREIGN KEY (`updated_by`) REFERENCES `staff`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `prescription_drugs` ADD CONSTRAINT `prescription_drugs_prescription_id_prescriptions_id_fk` FOREIGN KEY (`prescription_id`) REFERENCES `prescriptions`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `prescription_drugs` ADD CONSTRAINT `prescription_drugs_drug_id_drugs_id_fk` FOREIGN KEY (`drug_id`) REFERENCES `drugs`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `prescription_drugs` ADD CONSTRAINT `prescription_drugs_created_by_staff_id_fk` FOREIGN KEY (`created_by`) REFERENCES `staff`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `prescription_drugs` ADD CONSTRAINT `prescription_drugs_updated_by_staff_id_fk` FOREIGN KEY (`updated_by`) REFERENCES `staff`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `prescriptions` ADD CONSTRAINT `prescriptions_patient_id_patients_id_fk` FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `prescriptions` ADD CONSTRAINT `prescriptions_consultation_id_consultations_id_fk` FOREIGN KEY (`consultation_id`) REFERENCES `consultations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `prescriptions` ADD CONSTRAINT `prescriptions_prescriber_id_staff_id_fk` FOREIGN KEY (`prescriber_id`) REFERENCES `staff`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `prescriptions` ADD CONSTRAINT `prescriptions_dispensed_by_staff_id_fk` FOREIGN KEY (`dispensed_by`) REFERENCES `staff`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `prescriptions` ADD CONSTRAINT `prescriptions_created_by_staff_id_fk` FOREIGN KEY (`created_by`) REFERENCES `staff`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `prescriptions` ADD CONSTRAINT `prescriptions_updated_by_staff_id_fk` FOREIGN KEY (`updated_by`) REFERENCES `staff`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `vitals` ADD CONSTRAINT `vitals_patient_id_patients_id_fk` FOREIGN KEY (`patient_id`) REFERENCES `patients`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `vitals` ADD CONSTRAINT `vitals_consultation_id_consultations_id_fk` FOREIGN KEY (`consultation_id`) REFERENCES `consultations`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `vitals` ADD CONSTRAINT `vitals_nurse_id_staff_id_fk` FOREIGN KEY (`nurse_id`) REFERENCES `staff`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `vitals` ADD CONSTRAINT `vitals_created_by_staff_id_fk` FOREIGN KEY (`created_by`) REFERENCES `staff`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `vitals` ADD CONSTRAINT `vitals_updated_by_staff_id_fk` FOREIGN KEY (`updated_by`) REFERENCES `staff`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `drugs` ADD CONSTRAINT `drugs_created_by_staff_id_fk` FOREIGN KEY (`created_by`) REFERENCES `staff`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `drugs` ADD CONSTRAINT `drugs_updated_by_staff_id_fk` FOREIGN KEY (`updated_by`) REFERENCES `staff`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `audit_events` ADD CONSTRAINT `audit_events_actor_id_staff_id_fk` FOREIGN KEY (`actor_id`) REFERENCES `staff`(`id`) ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE `sessions` ADD CONSTRAINT `sessions_staff_id_staff_id_fk` FOREIGN KEY (`staff_id`) REFERENCES `staff`(`id`) ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX `staff_role_active_idx` ON `staff` (`role`,`active`,`id`);--> statement-breakpoint
CREATE INDEX `patients_last_first_idx` ON `patients` (`last_name`,`first_name`,`id`);--> statement-breakpoint
CREATE INDEX `patients_first_idx` ON `patients` (`first_name`,`id`);--> statement-breakpoint
CREATE INDEX `patients_phone_idx` ON `patients` (`phone_number`,`id`);--> statement-breakpoint
CREATE INDEX `consultations_patient_idx` ON `consultations` (`patient_id`,`id`);--> statement-breakpoint
CREATE INDEX `consultations_doctor_idx` ON `consultations` (`doctor_id`,`id`);--> statement-breakpoint
CREATE INDEX `nurse_notes_patient_idx` ON `nurse_notes` (`patient_id`,`id`);--> statement-breakpoint
CREATE INDEX `nurse_notes_nurse_idx` ON `nurse_notes` (`nurse_id`,`id`);--> statement-breakpoint
CREATE INDEX `prescription_drugs_prescription_idx` ON `prescription_drugs` (`prescription_id`,`id`);--> statement-breakpoint
CREATE INDEX `prescriptions_status_idx` ON `prescriptions` (`status`,`id`);--> statement-breakpoint
CREATE INDEX `prescriptions_patient_idx` ON `prescriptions` (`patient_id`,`id`);--> statement-breakpoint
CREATE INDEX `prescriptions_prescriber_idx` ON `prescriptions` (`prescriber_id`,`id`);--> statement-breakpoint
CREATE INDEX `prescriptions_dispenser_idx` ON `prescriptions` (`dispensed_by`,`id`);--> statement-breakpoint
CREATE INDEX `vitals_patient_idx` ON `vitals` (`patient_id`,`id`);--> statement-breakpoint
CREATE INDEX `vitals_consultation_idx` ON `vitals` (`consultation_id`,`id`);--> statement-breakpoint
CREATE INDEX `vitals_nurse_idx` ON `vitals` (`nurse_id`,`id`);--> statement-breakpoint
CREATE INDEX `drugs_name_idx` ON `drugs` (`name`,`id`);--> statement-breakpoint
CREATE INDEX `drugs_generic_idx` ON `drugs` (`generic_name`,`id`);--> statement-breakpoint
CREATE INDEX `audit_patient_idx` ON `audit_events` (`patient_id`,`id`);--> statement-breakpoint
CREATE INDEX `audit_actor_idx` ON `audit_events` (`actor_id`,`id`);--> statement-breakpoint
CREATE INDEX `audit_entity_idx` ON `audit_events` (`entity_type`,`entity_id`);--> statement-breakpoint
CREATE INDEX `login_failures_user_idx` ON `login_failures` (`username_key`,`at`);--> statement-breakpoint
CREATE INDEX `login_failures_ip_idx` ON `login_failures` (`ip`,`at`);--> statement-breakpoint
CREATE INDEX `sessions_staff_idx` ON `sessions` (`staff_id`);--> statement-breakpoint
CREATE INDEX `sessions_expires_idx` ON `sessions` (`expires_at`);