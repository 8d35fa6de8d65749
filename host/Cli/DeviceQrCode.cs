using StbImageSharp;
using ZXing;
using ZXing.Common;

namespace RulesMfa.Host.Cli;

/// <summary>Reads the enrollment URI from a picture of the QR code (PNG, JPEG, BMP), as a phone's camera would.</summary>
internal static class DeviceQrCode
{
    /// <exception cref="CliInputException">The file cannot be read, or holds no QR code.</exception>
    public static string Read(string path)
    {
        ImageResult image;
        try
        {
            image = ImageResult.FromMemory(File.ReadAllBytes(path), ColorComponents.RedGreenBlueAlpha);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or InvalidOperationException or ArgumentException)
        {
            throw new CliInputException($"{path}: cannot be read as an image (PNG, JPEG or BMP): {error.Message}");
        }

        var reader = new BarcodeReaderGeneric { Options = new DecodingOptions { PossibleFormats = [BarcodeFormat.QR_CODE], TryHarder = true } };
        var found = reader.Decode(new RGBLuminanceSource(image.Data, image.Width, image.Height, RGBLuminanceSource.BitmapFormat.RGBA32));
        return found?.Text ?? throw new CliInputException($"{path}: no QR code found in the image");
    }
}
