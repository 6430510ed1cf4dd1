using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Plaza.Common;
using Plaza.Data;

namespace Plaza.Features.Nearby;

/// <summary>Shops near you, across the network; works without JavaScript (the script only fills in your position).</summary>
public sealed class NearbyPageModel(PlazaDb db, PublicOrigin origin, TimeProvider clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public double? Lat { get; set; }

    [BindProperty(SupportsGet = true)]
    public double? Lon { get; set; }

    [BindProperty(SupportsGet = true)]
    public double? RadiusKm { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool All { get; set; }

    public List<NearbyShop>? Shops { get; private set; }
    public Dictionary<string, string[]> Errors { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (Lat is null && Lon is null)
        {
            return;
        }
        Errors = NearbyApi.Validate(Lat, Lon, RadiusKm);
        if (Errors.Count == 0)
        {
            Shops = await NearbyQuery.FindAsync(db, origin.Origin, Lat!.Value, Lon!.Value, RadiusKm ?? 5, !All, clock, ct);
        }
        else
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
    }
}
