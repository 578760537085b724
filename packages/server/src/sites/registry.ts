import { AppError } from '../lib/errors.ts';
import { defaultSiteSettings, loadSitesFile, type SiteSettings, type SitesFile } from './config.ts';

/**
 * The sites this server answers for, and their policies.
 *
 * Built from a sites file, only the sites it lists exist: `get` answers 404 `site_not_found` for any
 * other id. Without a file (`SiteRegistry.permissive()`), every site id is accepted and gets the
 * default site's open, any-origin settings — the demo and single-site installs keep working unchanged.
 */
export class SiteRegistry {
  readonly #sites: ReadonlyMap<string, SiteSettings>;
  readonly #fallback: SiteSettings | undefined;

  private constructor(sites: readonly SiteSettings[], fallback: SiteSettings | undefined) {
    this.#sites = new Map(sites.map((site) => [site.id, site]));
    this.#fallback = fallback;
  }

  static fromFile(file: SitesFile): SiteRegistry {
    return new SiteRegistry(file.sites, undefined);
  }

  /** No config file: one open `default` site whose settings apply to any site id. */
  static permissive(): SiteRegistry {
    const fallback = defaultSiteSettings();
    return new SiteRegistry([fallback], fallback);
  }

  /** `PARLEY_CONFIG` set → that file (throws a SitesConfigError naming the bad key); unset → permissive. */
  static load(configFile: string | undefined): SiteRegistry {
    return configFile ? SiteRegistry.fromFile(loadSitesFile(configFile)) : SiteRegistry.permissive();
  }

  /** True when sites come from a file (unknown ids are refused). */
  get strict(): boolean {
    return this.#fallback === undefined;
  }

  /** The site's settings, or 404 `site_not_found`. */
  get(id: string): SiteSettings {
    const site = this.find(id);
    if (!site) throw new AppError(404, 'site_not_found', `Unknown site "${id}"`);
    return site;
  }

  find(id: string): SiteSettings | undefined {
    const site = this.#sites.get(id);
    if (site) return site;
    return this.#fallback ? { ...this.#fallback, id } : undefined;
  }

  list(): SiteSettings[] {
    return [...this.#sites.values()];
  }

  /** Whether `origin` may write to (and read with CORS from) site `id`. Unknown sites allow nobody. */
  allowsOrigin(id: string, origin: string): boolean {
    const site = this.find(id);
    return site ? originMatches(site.origins, origin) : false;
  }

  /** Whether some site allows `origin` (preflights, which carry no body to name the site). */
  anyAllowsOrigin(origin: string): boolean {
    if (this.#fallback && originMatches(this.#fallback.origins, origin)) return true;
    for (const site of this.#sites.values()) if (originMatches(site.origins, origin)) return true;
    return false;
  }

  /** Whether every site allows every origin: then no request needs to name its site for the origin check. */
  get everyOriginEverywhere(): boolean {
    return [...this.#sites.values()].every((site) => site.origins.includes('*'));
  }
}

function originMatches(origins: readonly string[], origin: string): boolean {
  return origins.includes('*') || origins.includes(origin);
}
