// Bulk data for the benchmarks, written with generate_series as the schema owner: inventory rows
// in one project and a large activity log. The log rows sit on their own hash chain ("bench") and
// their hashes are not computed: the chain verifier is not what these figures measure.
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";

export async function seedInventory(
  owner: Db,
  org: { id: string },
  project: { id: string },
  n: number,
): Promise<void> {
  await owner.execute(sql`
    insert into resources (kind, org_id, project_id, region, availability_zone, name, status, labels, attrs, created_at, updated_at)
    select 'instance', ${org.id}::uuid, ${project.id}::uuid, 'region-one',
      (array['az-1','az-2','az-3'])[1 + g % 3],
      'vm-' || lpad(g::text, 6, '0'),
      (array['ACTIVE','ACTIVE','ACTIVE','SHUTOFF','BUILD','ERROR'])[1 + g % 6],
      jsonb_build_object('env', (array['prod','staging','dev'])[1 + g % 3], 'team', 'team-' || (g % 12)),
      jsonb_build_object('flavor', (array['m1.small','m1.medium','m1.large'])[1 + g % 3]),
      now() - (g * interval '37 seconds'), now()
    from generate_series(1, ${n}) g`);
}

const ACTIONS: [string, string][] = [
  ["compute.instance.create", "instance"],
  ["compute.instance.delete", "instance"],
  ["compute.instance.action", "instance"],
  ["compute.instance.update", "instance"],
  ["compute.keypair.create", "keypair"],
  ["compute.keypair.delete", "keypair"],
  ["compute.image.create", "image"],
  ["storage.volume.create", "volume"],
  ["storage.volume.delete", "volume"],
  ["network.securitygroup.update", "securitygroup"],
  ["iam.user.invite", "user"],
  ["iam.user.suspend", "user"],
  ["iam.rolebinding.create", "rolebinding"],
  ["iam.rolebinding.delete", "rolebinding"],
  ["iam.role.update", "role"],
  ["resourcemanager.project.create", "project"],
  ["resourcemanager.project.update", "project"],
  ["quota.request.create", "quotarequest"],
  ["quota.request.approve", "quotarequest"],
  ["job.compute.instance.create", "instance"],
];

/**
 * `n` events over the last 90 days in one organisation. Indexes are dropped for the load and
 * built again afterwards (as a restore would), which is several times faster than inserting
 * into them row by row.
 */
export async function seedAuditEvents(
  owner: Db,
  org: { id: string },
  projects: string[],
  n: number,
  progress: (done: number) => void,
): Promise<void> {
  const defs = await owner.execute<{ indexname: string; indexdef: string }>(sql`
    select indexname, indexdef from pg_indexes
    where tablename = 'audit_events' and indexname <> 'audit_events_pkey'`);
  for (const d of defs) await owner.execute(sql.raw(`drop index if exists "${d.indexname}"`));
  const actions = `array[${ACTIONS.map(([a]) => `'${a}'`).join(",")}]`;
  const kinds = `array[${ACTIONS.map(([, k]) => `'${k}'`).join(",")}]`;
  const projectArray = `array[${projects.map((p) => `'${p}'::uuid`).join(",")}, null]::uuid[]`;
  const batch = 250_000;
  const spanMs = 90 * 86_400_000;
  for (let start = 1; start <= n; start += batch) {
    const end = Math.min(n, start + batch - 1);
    await owner.execute(
      sql.raw(`
      insert into audit_events (chain, seq, org_id, project_id, actor_id, actor_email, actor_type, action,
        target_kind, target_id, target_name, outcome, error_code, message, request_id, ip, user_agent, data,
        created_at, prev_hash, hash)
      select 'bench', g, '${org.id}'::uuid,
        (${projectArray})[1 + abs(hashint8(g * 3 + 1)::bigint) % ${projects.length + 1}],
        md5('actor' || abs(hashint8(g * 5 + 2)::bigint) % 50)::uuid, 'user' || abs(hashint8(g * 5 + 2)::bigint) % 50 || '@acme.example', 'user',
        (${actions})[1 + abs(hashint8(g * 7 + 3)::bigint) % ${ACTIONS.length}],
        (${kinds})[1 + abs(hashint8(g * 7 + 3)::bigint) % ${ACTIONS.length}],
        't-' || (g % 20000),
        (array['web','api','db','cache','batch','edge'])[1 + abs(hashint8(g * 13 + 5)::bigint) % 6] || '-' || (g % 5000),
        case when o < 90 then 'success' when o < 97 then 'failure' else 'denied' end,
        case when o < 90 then null when o < 97 then 'QUOTA_EXCEEDED' else 'FORBIDDEN' end,
        case when o < 90 then null when o < 97 then 'Quota exceeded for instances: limit reached'
             else 'You do not have the permission' end,
        md5(g::text), '10.0.' || (g % 250) || '.' || (g % 200), 'cirrus-cli/1.0',
        jsonb_build_object('n', g),
        now() - ((${n} - g)::double precision * ${spanMs / n} * interval '1 millisecond'),
        md5('p' || g), md5('h' || g)
      from generate_series(${start}::bigint, ${end}::bigint) g,
        lateral (select abs(hashint8(g * 11 + 4)::bigint) % 100 as o) pick`),
    );
    progress(end);
  }
  await owner.transaction(async (tx) => {
    await tx.execute(sql`set local maintenance_work_mem = '256MB'`);
    for (const d of defs) await tx.execute(sql.raw(d.indexdef));
  });
  await owner.execute(sql`analyze audit_events`);
}
