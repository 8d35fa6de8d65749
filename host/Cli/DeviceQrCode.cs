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

        var pixels = new RGBLuminanceSource(image.Data, image.Width, image.Height, RGBLuminanceSource.BitmapFormat.RGBA32);
        // A photo first; then the image as the enrollment page draws it, the code alone, which ZXing's finder misses in
        // about 1 of 300 (DeviceQrCodeTests) but reads as a pure barcode.
        var found = Reader(pureBarcode: false).Decode(pixels) ?? Reader(pureBarcode: true).Decode(pixels);
        return found?.Text ?? throw new CliInputException($"{path}: no QR code found in the image");
    }

    private static BarcodeReaderGeneric Reader(bool pureBarcode) =>
        new() { Options = new DecodingOptions { PossibleFormats = [BarcodeFormat.QR_CODE], TryHarder = true, PureBarcode = pureBarcode } };
}
