using Microsoft.AspNetCore.Http.HttpResults;
using Plaza.Common;
using Plaza.Data;

namespace Plaza.Features.Nearby;

public static class NearbyApi
{
    public static WebApplication MapNearbyApi(this WebApplication app)
    {
        app.MapGet("/api/v1/nearby", Find)
            .WithName("Nearby")
            .WithTags("Nearby")
            .WithSummary("Shops within radiusKm (at most 50) of lat/lon, nearest first: this node's own and those it knows on other nodes, each with its storefront link. openOnly=true (default) lists only shops open now.")
            .ProducesValidationProblem();
        app.MapDirectoryFeed();
        return app;
    }

    private static async Task<Results<Ok<List<NearbyShop>>, ProblemHttpResult>> Find(
        double? lat, double? lon, double? radiusKm, bool? openOnly, PlazaDb db, TimeProvider clock, PublicOrigin origin, CancellationToken ct)
    {
        var errors = Validate(lat, lon, radiusKm);
        if (errors.Count > 0)
        {
            return Problems.Invalid(errors);
        }
        return TypedResults.Ok(await NearbyQuery.FindAsync(db, origin.Origin, lat!.Value, lon!.Value, radiusKm ?? 5, openOnly ?? true, clock, ct));
    }

    public static Dictionary<string, string[]> Validate(double? lat, double? lon, double? radiusKm)
    {
        var errors = new Dictionary<string, string[]>();
        if (lat is not (>= -90 and <= 90))
        {
            errors["lat"] = [Text.Say("Latitude between -90 and 90 is required.")];
        }
        if (lon is not (>= -180 and <= 180))
        {
            errors["lon"] = [Text.Say("Longitude between -180 and 180 is required.")];
        }
        if (radiusKm is not null and not (> 0 and <= NearbyQuery.MaxRadiusKm))
        {
            errors["radiusKm"] = [Text.Say("Radius is more than 0 and at most {0} km.", NearbyQuery.MaxRadiusKm)];
        }
        return errors;
    }
}
