using QRCoder;

namespace RulesMfa.Host.Factors;

/// <summary>An enrollment URI drawn as a QR code, for an enrollment page's image (an authenticator app or a device scans it).</summary>
public static class EnrollmentQrCode
{
    /// <summary>The PNG: medium error correction, the quiet zone around it, <paramref name="pixelsPerModule"/> pixels a module.</summary>
    public static byte[] Png(string uri, int pixelsPerModule)
    {
        using var generator = new QRCodeGenerator();
        using var data = generator.CreateQrCode(uri, QRCodeGenerator.ECCLevel.M);
        return new PngByteQRCode(data).GetGraphic(pixelsPerModule);
    }

    /// <summary>The PNG as a <c>data:</c> URI for an <c>img</c>.</summary>
    public static string DataUri(string uri, int pixelsPerModule) => "data:image/png;base64," + Convert.ToBase64String(Png(uri, pixelsPerModule));
}
