import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from "type-graphql";
import type { AuthedContext } from "../context";
import { Role } from "../auth/auth.types";
import { PageArgs } from "../common/pagination";
import { OrgUnit } from "./org-unit.model";
import { OrgUnitService } from "./org-unit.service";
import { FormerName, OrgUnitPage, OrgUnitSearchArgs, UnitSuccession } from "./org-unit.types";
import { DateScalar } from "../common/date.scalar";
import { OrgUnitAdminService } from "./org-unit.admin.service";
import { CreateOrgUnitInput, UpdateOrgUnitInput } from "./org-unit.inputs";

@Resolver(() => OrgUnit)
export class OrgUnitResolver {
  @Authorized()
  @Query(() => OrgUnit, {
    description:
      "The unit a GSO code (VN for the nation) names on `asOf` (default today): 91 is Tỉnh Kiên Giang on 2024-06-30, " +
      "Tỉnh An Giang from 2025-07-01. NOT_FOUND outside your scope, or when the code names no unit that day (saying when it did)",
  })
  orgUnit(
    @Ctx() ctx: AuthedContext,
    @Arg("code", () => String) code: string,
    @Arg("asOf", () => DateScalar, { nullable: true }) asOf?: string,
  ): Promise<OrgUnit> {
    return OrgUnitService.byCode(ctx, code, asOf);
  }

  @Authorized()
  @Query(() => OrgUnitPage, { description: "Units below `under` (default: your scope) whose name contains `text`, ignoring accents, on the tree of `asOf` (default today), or of any date with includeHistorical" })
  searchOrgUnits(@Ctx() ctx: AuthedContext, @Args(() => OrgUnitSearchArgs) args: OrgUnitSearchArgs): Promise<OrgUnitPage> {
    return OrgUnitService.search(ctx, args);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => OrgUnit, {
    description:
      "A new unit under your own unit or a unit below it (level one below the parent's, type fitting the level); audited. " +
      "NOT_FOUND for a parent you cannot see, CONFLICT for a code a current unit uses",
  })
  createOrgUnit(@Ctx() ctx: AuthedContext, @Arg("input", () => CreateOrgUnitInput) input: CreateOrgUnitInput): Promise<OrgUnit> {
    return OrgUnitAdminService.create(ctx, input);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => OrgUnit, {
    description:
      "Corrects the name and/or type of a unit strictly below your own unit (FORBIDDEN for your own unit or an ancestor); audited. " +
      "Nothing else changes: moving, merging or splitting units is a reform of the tree, out of this API's scope",
  })
  updateOrgUnit(@Ctx() ctx: AuthedContext, @Arg("input", () => UpdateOrgUnitInput) input: UpdateOrgUnitInput): Promise<OrgUnit> {
    return OrgUnitAdminService.update(ctx, input);
  }

  @FieldResolver(() => OrgUnit, { nullable: true })
  parent(@Root() unit: OrgUnit, @Ctx() ctx: AuthedContext): Promise<OrgUnit | null> | null {
    return unit.parentId ? OrgUnitService.relativeOn(ctx, unit.parentId, unit.asOf) : null;
  }

  @FieldResolver(() => OrgUnit, { nullable: true, description: "The province the unit lies in (itself for a province)" })
  province(@Root() unit: OrgUnit, @Ctx() ctx: AuthedContext): Promise<OrgUnit | null> | null {
    return unit.provinceId ? OrgUnitService.relativeOn(ctx, unit.provinceId, unit.asOf) : null;
  }

  @FieldResolver(() => OrgUnit, { nullable: true, description: "The district the unit lies in (itself for a district)" })
  district(@Root() unit: OrgUnit, @Ctx() ctx: AuthedContext): Promise<OrgUnit | null> | null {
    return unit.districtId ? OrgUnitService.relativeOn(ctx, unit.districtId, unit.asOf) : null;
  }

  @FieldResolver(() => [OrgUnit], { description: "From the nation down to the parent" })
  ancestors(@Root() unit: OrgUnit, @Ctx() ctx: AuthedContext): Promise<OrgUnit[]> {
    return OrgUnitService.ancestors(ctx, unit);
  }

  @FieldResolver(() => OrgUnitPage, { description: "Direct children on `asOf` (default: the unit's own asOf), ordered by code" })
  children(
    @Root() unit: OrgUnit,
    @Ctx() ctx: AuthedContext,
    @Args(() => PageArgs) page: PageArgs,
    @Arg("asOf", () => DateScalar, { nullable: true }) asOf?: string,
  ): Promise<OrgUnitPage> {
    return OrgUnitService.children(ctx, unit, page, asOf);
  }

  @FieldResolver(() => [UnitSuccession], { description: "The units this one went into when it was closed (whole or in part)" })
  successors(@Root() unit: OrgUnit, @Ctx() ctx: AuthedContext): Promise<UnitSuccession[]> {
    return ctx.loaders.successorsByUnitId.load(unit.id);
  }

  @FieldResolver(() => [UnitSuccession], { description: "The units that went into this one when it was opened" })
  predecessors(@Root() unit: OrgUnit, @Ctx() ctx: AuthedContext): Promise<UnitSuccession[]> {
    return ctx.loaders.predecessorsByUnitId.load(unit.id);
  }

  @FieldResolver(() => [FormerName], { description: "Names and types it bore before its current one, oldest first" })
  formerNames(@Root() unit: OrgUnit, @Ctx() ctx: AuthedContext): Promise<FormerName[]> {
    return ctx.loaders.formerNamesByUnitId.load(unit.id);
  }
}
