// Input shapes of the organiser endpoints (zod at the edge). They check types and generous
// bounds only; the domain's rules (src/lib/domain/organiser) then decide what is valid and
// answer with their own codes (422), so the same rules hold on the device and the server.
import { z } from 'zod';
import { MAX_MONEY_CENTS } from '$lib/domain/money';
import { CONTACT_CHANNELS } from '$lib/domain/organiser/maker-profile';
import { LANDMARK_KINDS } from '$lib/domain/organiser/stall-map';
import { IdSchema } from '$lib/sync/protocol';

export { IdSchema };

const text = (max: number) => z.string().max(max);
const timeOfDay = z.string().max(10).nullable().optional();
const cell = z.number().finite().min(-1000).max(1000);
const size = z.number().finite().min(-1000).max(1000);
const feeCents = z.number().int().min(0).max(MAX_MONEY_CENTS);

export const eventFields = {
  name: text(500),
  date: text(20),
  opensAt: timeOfDay,
  closesAt: timeOfDay,
  place: text(1000).optional(),
  description: text(10_000).optional(),
  seriesId: IdSchema.nullable().optional(),
  allowMultipleStalls: z.boolean().optional(),
  stallFeeDefaultCents: feeCents.optional(),
  mapWidth: z.number().finite().min(-1000).max(1000).optional(),
  mapHeight: z.number().finite().min(-1000).max(1000).optional(),
};

export const createEventBody = z.strictObject(eventFields);
export type CreateEventBody = z.infer<typeof createEventBody>;

/** As creating, without the map size (PUT .../map changes it, with its own checks). */
export const updateEventBody = z.strictObject({
  name: eventFields.name.optional(),
  date: eventFields.date.optional(),
  opensAt: eventFields.opensAt,
  closesAt: eventFields.closesAt,
  place: eventFields.place,
  description: eventFields.description,
  seriesId: eventFields.seriesId,
  allowMultipleStalls: eventFields.allowMultipleStalls,
  stallFeeDefaultCents: eventFields.stallFeeDefaultCents,
});
export type UpdateEventBody = z.infer<typeof updateEventBody>;

export const transitionBody = z.strictObject({
  to: z.enum(['draft', 'published', 'open', 'closed']),
});

export const seriesBody = z.strictObject({ name: text(500) });

export const nextEditionBody = z.strictObject({
  date: text(20),
  name: text(500).optional(),
  copyAssignments: z.boolean().optional(),
});

export const mapBody = z.strictObject({ width: size, height: size });

export const stallFields = {
  label: text(100).optional(),
  x: cell.optional(),
  y: cell.optional(),
  width: size.optional(),
  height: size.optional(),
  notes: text(5000).optional(),
  power: z.boolean().optional(),
  table: z.boolean().optional(),
  foodHygiene: z.boolean().optional(),
  feeCents: feeCents.nullable().optional(),
};
export const stallBody = z.strictObject(stallFields);
export type StallBody = z.infer<typeof stallBody>;

export const createLandmarkBody = z.strictObject({
  kind: z.enum(LANDMARK_KINDS),
  label: text(500).optional(),
  x: cell,
  y: cell,
  width: size.optional(),
  height: size.optional(),
});
export const updateLandmarkBody = z.strictObject({
  kind: z.enum(LANDMARK_KINDS).optional(),
  label: text(500).optional(),
  x: cell.optional(),
  y: cell.optional(),
  width: size.optional(),
  height: size.optional(),
});
export type UpdateLandmarkBody = z.infer<typeof updateLandmarkBody>;

export const eventMakerBody = z.strictObject({ vendorId: IdSchema });

export const assignBody = z.strictObject({
  stallId: IdSchema,
  vendorId: IdSchema,
  arrivalTime: timeOfDay,
  instructions: text(5000).optional(),
});
export const updateAssignmentBody = z.strictObject({
  stallId: IdSchema.optional(),
  arrivalTime: timeOfDay,
  instructions: text(5000).optional(),
});
export type UpdateAssignmentBody = z.infer<typeof updateAssignmentBody>;

export const feePaidBody = z.strictObject({ paidCents: feeCents });

const contactDetail = z.strictObject({ value: text(1000), public: z.boolean() });
export const profileBody = z.strictObject({
  displayName: text(500),
  craft: text(500).default(''),
  story: text(5000).default(''),
  languages: z.array(text(20)).max(50).default([]),
  photoIds: z.array(IdSchema).max(50).default([]),
  contact: z.strictObject(
    Object.fromEntries(CONTACT_CHANNELS.map((channel) => [channel, contactDetail])) as Record<
      (typeof CONTACT_CHANNELS)[number],
      typeof contactDetail
    >,
  ),
  listed: z.boolean().default(false),
  needs: z
    .strictObject({
      power: z.boolean(),
      table: z.boolean(),
      foodHygiene: z.boolean(),
      notes: text(3000).default(''),
    })
    .default({ power: false, table: false, foodHygiene: false, notes: '' }),
});
export type ProfileBody = z.infer<typeof profileBody>;

export const sharingBody = z.strictObject({ sharesFigures: z.boolean() });

export const MAX_ANNOUNCEMENT_LENGTH = 1000;
export const announcementBody = z.strictObject({
  body: z.string().trim().min(1).max(MAX_ANNOUNCEMENT_LENGTH),
});

export const csvQuery = z.strictObject({
  lang: z.enum(['nl', 'en']).default('nl'),
  decimal: z.enum(['dot', 'comma']).default('dot'),
  bom: z.enum(['0', '1']).default('0'),
});

export const slugParam = z.string().regex(/^[a-z0-9-]{1,80}$/, 'a maker slug: a-z, 0-9 and -');
